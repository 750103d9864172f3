/**
 * Redis: {@link io.cairn.dumps.redis.RedisAdapter} dumps a point-in-time RDB snapshot with
 * {@code redis-cli --rdb -} and restores it into a live server key by key with {@code RESTORE ... ABSTTL}.
 * Glossary: an <b>RDB</b> is Redis's snapshot file; a <b>DUMP payload</b> is one key's RDB encoding
 * followed by the RDB version and a CRC-64, what {@code DUMP} returns and {@code RESTORE} accepts.
 * {@code RdbReader} splits an RDB into such payloads; {@code RespClient} is a minimal binary-safe client.
 */
package io.cairn.dumps.redis;
