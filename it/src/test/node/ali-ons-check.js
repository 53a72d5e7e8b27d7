// ali-ons (Alibaba's Node TCP client, unchanged) against the bridge's cluster, configured as for ONS: the name
// server and the instance as its namespace. Sends two messages, one timed 3 s ahead, consumes them, prints one
// JSON object; AliOnsIT judges it.
const { Producer, Consumer, Message } = require('ali-ons');

const [nameSrv, accessKeyId, accessKeySecret, namespace, topic, group] = process.argv.slice(2);
// ali-ons asks for an HTTP client to fetch name servers from an address server; with nameSrv it never calls it.
const httpclient = { request: async () => { throw new Error('no address server: nameSrv is set'); } };
const options = { httpclient, accessKeyId, accessKeySecret, nameSrv, namespace };

async function main() {
  const result = { sent: [], received: [] };
  const consumer = new Consumer({ ...options, consumerGroup: group });
  consumer.subscribe(topic, '*', async (msg) => {
    result.received.push({ id: msg.msgId, topic: msg.topic, body: msg.body.toString(), at: Date.now() });
  });
  await consumer.ready();
  const producer = new Producer({ ...options, producerGroup: group });
  await producer.ready();
  const now = new Message(topic, 'TagN', 'ali-ons now');
  now.keys = ['ali-ons-key'];
  const sentNow = await producer.send(now);
  result.sent.push({ id: sentNow.msgId, status: sentNow.sendStatus, body: 'ali-ons now' });
  const timed = new Message(topic, 'TagN', 'ali-ons timed');
  const due = Date.now() + 3000;
  timed.setStartDeliverTime(due);
  const sentTimed = await producer.send(timed);
  result.sent.push({ id: sentTimed.msgId, status: sentTimed.sendStatus, body: 'ali-ons timed', due });
  const deadline = Date.now() + 60000;
  while (result.received.length < 2 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await producer.close();
  await consumer.close();
  console.log(JSON.stringify(result));
}

main().then(() => process.exit(0), (e) => { console.log(JSON.stringify({ error: String(e && e.stack || e) })); process.exit(1); });
