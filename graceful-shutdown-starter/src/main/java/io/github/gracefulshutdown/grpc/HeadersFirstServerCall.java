package io.github.gracefulshutdown.grpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;

/**
 * A call the drain ends with response headers before its status, for a transport that
 * cannot send a status alone: over Spring gRPC's servlet transport a status without
 * headers (what a unary call still at work would get) reaches clients as INTERNAL, which
 * they do not retry, where headers and then the status reach them as the status.
 *
 * @param <ReqT> the type of the requests
 * @param <RespT> the type of the responses
 */
final class HeadersFirstServerCall<ReqT, RespT> extends DrainableServerCall<ReqT, RespT> {

	HeadersFirstServerCall(ServerCall<ReqT, RespT> delegate) {
		super(delegate);
	}

	@Override
	void endForDrain(Status status) {
		try {
			delegate().sendHeaders(new Metadata());
		}
		catch (IllegalStateException headersSentAlready) {
			// The application sent them: the status follows its messages
		}
		super.endForDrain(status);
	}

}
