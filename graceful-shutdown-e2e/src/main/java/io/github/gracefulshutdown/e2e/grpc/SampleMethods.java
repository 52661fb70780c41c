package io.github.gracefulshutdown.e2e.grpc;

import com.google.protobuf.Int64Value;
import com.google.protobuf.StringValue;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.protobuf.ProtoUtils;
import org.jspecify.annotations.Nullable;

/**
 * The gRPC sample's methods, described by hand as the sample describes them, on
 * protobuf's well-known types.
 */
final class SampleMethods {

	/**
	 * {@code sample.Work/Work}: takes the milliseconds to work as a
	 * {@code google.protobuf.Int64Value} and answers with a
	 * {@code google.protobuf.StringValue} such as {@code worked 50 ms on pod1-v1}.
	 */
	static final MethodDescriptor<Int64Value, StringValue> WORK = MethodDescriptor.<Int64Value, StringValue>newBuilder()
		.setType(MethodType.UNARY)
		.setFullMethodName(MethodDescriptor.generateFullMethodName("sample.Work", "Work"))
		.setRequestMarshaller(ProtoUtils.marshaller(Int64Value.getDefaultInstance()))
		.setResponseMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
		.build();

	/**
	 * {@code sample.Ticks/Subscribe}: takes the first tick to send as a
	 * {@code google.protobuf.Int64Value} and streams numbered ticks, ten a second, until
	 * the server ends the stream; the tick numbers are the resume tokens.
	 */
	static final MethodDescriptor<Int64Value, Int64Value> SUBSCRIBE = MethodDescriptor
		.<Int64Value, Int64Value>newBuilder()
		.setType(MethodType.SERVER_STREAMING)
		.setFullMethodName(MethodDescriptor.generateFullMethodName("sample.Ticks", "Subscribe"))
		.setRequestMarshaller(ProtoUtils.marshaller(Int64Value.getDefaultInstance()))
		.setResponseMarshaller(ProtoUtils.marshaller(Int64Value.getDefaultInstance()))
		.build();

	private static final String INSTANCE_PREFIX = " on ";

	private SampleMethods() {
	}

	/**
	 * Returns the instance that answered a call of {@link #WORK}.
	 * @param answer the sample's answer
	 * @return the instance it names, or {@code null} if it names none
	 */
	static @Nullable String instance(StringValue answer) {
		String text = answer.getValue();
		int at = text.lastIndexOf(INSTANCE_PREFIX);
		return (at >= 0) ? text.substring(at + INSTANCE_PREFIX.length()) : null;
	}

}
