package io.onsbridge.http;

import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;

/**
 * Netty's request decoder, refusing what could smuggle a request past a proxy: a message with both
 * {@code Content-Length} and {@code Transfer-Encoding: chunked}. Netty would follow the chunks (as RFC 9112
 * allows), but a proxy in front that follows the length would then forward a second request hidden in the
 * body. The message is marked failed, the rest of the connection's bytes are discarded, and the handler
 * answers 400 and closes.
 */
final class StrictRequestDecoder extends HttpRequestDecoder {
    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        throw new IllegalArgumentException("the request has both Content-Length and Transfer-Encoding: chunked; send one");
    }
}
