package org.agentchannels.gateway.internal;

/** A JSON-RPC error answer: the code and message the client receives. */
public final class RpcException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int code;

    public RpcException(int code, String message) {
        super(message);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
