/**
 * A broadcast bus across nodes over Redis pub/sub: {@link dev.wsreactor.redis.RedisBus}, the
 * {@link dev.wsreactor.bus.Bus} of the {@code wsreactor-reactor} library for more than one process. An optional
 * module with its own dependency (Jedis); the library itself has none.
 */
package dev.wsreactor.redis;
