/**
 * MongoDB: {@link io.cairn.dumps.mongodb.MongoAdapter} dumps through the official Java driver into
 * Cairn's own archive format ({@code MongoArchive}: raw BSON documents per collection, with options,
 * views and indexes, closed by an end record) and restores it. No {@code mongodump} is used; see the
 * adapter's Javadoc for why, and for the consistency this gives (per collection, not across them).
 */
package io.cairn.dumps.mongodb;
