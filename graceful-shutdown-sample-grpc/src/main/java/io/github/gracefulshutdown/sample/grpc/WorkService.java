package io.github.gracefulshutdown.sample.grpc;

import com.google.protobuf.Int64Value;
import com.google.protobuf.StringValue;
import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * A unary call whose duration each request chooses, standing for the real work of a
 * service: {@code sample.Work/Work} takes the milliseconds to work as a
 * {@code google.protobuf.Int64Value} and answers with a
 * {@code google.protobuf.StringValue} that names the instance. Built by hand on
 * protobuf's well-known types, so the sample needs no code generation; the work blocks a
 * thread of the gRPC server's executor, as blocking code does.
 */
@Service
class WorkService implements BindableService {

	static final String SERVICE = "sample.Work";

	static final MethodDescriptor<Int64Value, StringValue> WORK = MethodDescriptor.<Int64Value, StringValue>newBuilder()
		.setType(MethodType.UNARY)
		.setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Work"))
		.setRequestMarshaller(ProtoUtils.marshaller(Int64Value.getDefaultInstance()))
		.setResponseMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
		.build();

	private static final Log logger = LogFactory.getLog(WorkService.class);

	private static final long LONGEST_MILLIS = 60_000;

	private final String instance;

	WorkService(@Value("${sample.instance:${HOSTNAME:local}}") String instance) {
		this.instance = instance;
	}

	@Override
	public ServerServiceDefinition bindService() {
		return ServerServiceDefinition.builder(SERVICE).addMethod(WORK, ServerCalls.asyncUnaryCall(this::work)).build();
	}

	private void work(Int64Value millis, StreamObserver<StringValue> response) {
		long duration = Math.max(0, Math.min(millis.getValue(), LONGEST_MILLIS));
		if (duration >= 1000) {
			logger.info("Working for " + duration + " ms");
		}
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			response.onError(Status.CANCELLED.withDescription("Interrupted").asRuntimeException());
			return;
		}
		response.onNext(StringValue.of("worked " + duration + " ms on " + this.instance));
		response.onCompleted();
	}

}
