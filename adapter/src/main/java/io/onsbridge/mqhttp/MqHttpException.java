package io.onsbridge.mqhttp;

/** An error answered as the MQ HTTP SDKs parse it: an XML {@code <Error>} with this code, and this HTTP status. */
final class MqHttpException extends RuntimeException {
    private final int status;
    private final String code;

    MqHttpException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    static MqHttpException invalidArgument(String message) {
        return new MqHttpException(400, "InvalidArgument", message);
    }

    static MqHttpException malformedXml(String message) {
        return new MqHttpException(400, "MalformedXML", message);
    }
}
