package io.onsbridge.it;

import static org.awaitility.Awaitility.await;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.rocketmq.auth.config.AuthConfig;
import org.apache.rocketmq.broker.out.BrokerOuterAPI;
import org.apache.rocketmq.common.BrokerIdentity;
import org.apache.rocketmq.remoting.exception.RemotingCommandException;
import org.apache.rocketmq.remoting.netty.NettyClientConfig;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.remoting.protocol.body.TopicConfigSerializeWrapper;

/**
 * One more master in the name server that fails only some calls: a TCP proxy in front of a real broker,
 * registered under a broker name of its own, that passes every request on except those with a refused
 * request code, where it drops the connection (as a broker dying mid-call would). Reads of the cluster
 * keep working; a write to "every master" fails on this one after the others took it.
 */
final class RefusingBroker implements AutoCloseable {
    private final ServerSocket server;
    private final BrokerOuterAPI registration;
    private final String clusterName;
    private final String brokerName;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    /**
     * @param bindHost a loopback address the proxy listens on; 127.0.0.2 sorts after 127.0.0.1, so the
     *                 proxy is the last master in the bridge's (sorted) order
     */
    RefusingBroker(String namesrvAddr, String clusterName, String brokerName, String bindHost, String upstream, Set<Integer> refusedCodes)
            throws IOException {
        this.clusterName = clusterName;
        this.brokerName = brokerName;
        this.server = new ServerSocket(0, 50, InetAddress.getByName(bindHost));
        String[] hostPort = upstream.split(":");
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = track(server.accept());
                    Socket broker = track(new Socket(hostPort[0], Integer.parseInt(hostPort[1])));
                    daemon(() -> pump(broker.getInputStream(), client.getOutputStream(), client, broker));
                    daemon(() -> filter(client, broker, refusedCodes));
                } catch (IOException e) {
                    return; // closed
                }
            }
        }, "refusing-broker-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        registration = new BrokerOuterAPI(new NettyClientConfig(), new AuthConfig());
        registration.start();
        registration.updateNameServerAddressList(namesrvAddr);
        // The client registers only with name servers its background scan found available: a few seconds after start.
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> !registration.registerBrokerAll(
                clusterName, address(), brokerName, 0, address(), new TopicConfigSerializeWrapper(), List.of(), false, 5_000, false, false,
                new BrokerIdentity(clusterName, brokerName, 0)).isEmpty());
    }

    String address() {
        return server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
    }

    /** Reads whole remoting frames (4-byte length, then the frame) and passes on those not refused. */
    private void filter(Socket client, Socket broker, Set<Integer> refusedCodes) {
        try (DataInputStream in = new DataInputStream(client.getInputStream())) {
            DataOutputStream out = new DataOutputStream(broker.getOutputStream());
            while (true) {
                byte[] frame = new byte[in.readInt()];
                in.readFully(frame);
                if (refusedCodes.contains(RemotingCommand.decode(ByteBuffer.wrap(frame)).getCode())) {
                    closeQuietly(client, broker);
                    return;
                }
                out.writeInt(frame.length);
                out.write(frame);
                out.flush();
            }
        } catch (IOException | RemotingCommandException e) {
            closeQuietly(client, broker);
        }
    }

    private static void pump(InputStream from, OutputStream to, Socket a, Socket b) {
        try {
            from.transferTo(to);
        } catch (IOException e) {
            // one side went away
        }
        closeQuietly(a, b);
    }

    private Socket track(Socket socket) {
        sockets.add(socket);
        return socket;
    }

    private static void daemon(IoRunnable work) {
        Thread thread = new Thread(() -> {
            try {
                work.run();
            } catch (IOException e) {
                // the connection is gone; the other pump closes its side
            }
        }, "refusing-broker-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private interface IoRunnable {
        void run() throws IOException;
    }

    private static void closeQuietly(Socket... sockets) {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        registration.unregisterBrokerAll(clusterName, address(), brokerName, 0);
        registration.shutdown();
        server.close();
        sockets.forEach(RefusingBroker::closeQuietly);
    }
}
