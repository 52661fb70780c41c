/**
 * Tools for the benchmarks: measurements that JMH does not make itself.
 */
package io.github.gracefulshutdown.benchmark;
