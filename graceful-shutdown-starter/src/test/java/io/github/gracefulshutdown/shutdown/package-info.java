/**
 * Tests of whole shutdowns: the test application in a JVM of its own, stopped with a real
 * SIGTERM while user code misbehaves.
 */
package io.github.gracefulshutdown.shutdown;
