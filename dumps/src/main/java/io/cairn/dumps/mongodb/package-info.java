/**
 * MongoDB: {@link io.cairn.dumps.mongodb.MongoAdapter} dumps through the official Java driver into
 * Cairn's own archive format ({@code MongoArchive}: raw BSON documents per collection, with options,
 * views and indexes, closed by an end record) and restores it, whole or only some collections of one
 * database (the header lists the collections, so unknown names are refused before anything is written).
 * No {@code mongodump} is used; see the adapter's Javadoc for why, and for the consistency this gives
 * (per collection, not across them).
 */
package io.cairn.dumps.mongodb;
