package io.onsbridge.protocol.render;

/** Bytes ready for the wire, with the status and Content-Type the legacy SDK needs to pick its parser. */
public record RenderedResponse(int status, String contentType, byte[] body) {
}
