package io.github.gracefulshutdown.test;

import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A JDK WebSocket listener that records the close frame it receives, and when, and
 * answers it the way a well-behaved client does.
 */
public final class RecordingListener implements WebSocket.Listener {

	private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

	private volatile String closeReason = "";

	private volatile long closedAtNanos;

	@Override
	public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		this.closedAtNanos = System.nanoTime();
		this.closeReason = reason;
		this.closeCode.complete(statusCode);
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		this.closedAtNanos = System.nanoTime();
		this.closeCode.completeExceptionally(error);
	}

	/**
	 * Returns the close code once the close frame arrived.
	 * @return the close code, completed exceptionally if the connection broke without one
	 */
	public CompletableFuture<Integer> closeCode() {
		return this.closeCode;
	}

	public String closeReason() {
		return this.closeReason;
	}

	/**
	 * Returns when the close frame arrived, in {@link System#nanoTime()}.
	 * @return the arrival time of the close frame
	 */
	public long closedAtNanos() {
		return this.closedAtNanos;
	}

}
