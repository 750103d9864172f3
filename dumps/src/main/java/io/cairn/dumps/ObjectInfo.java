package io.cairn.dumps;

/**
 * One table, view, collection or keyspace inside a database, with how many rows (keys, documents) it
 * holds.
 *
 * @param name  its name, schema-qualified where the kind has schemas ({@code public.orders})
 * @param type  what it is
 * @param count rows, documents or keys; -1 where counting makes no sense (a view)
 */
public record ObjectInfo(String name, ObjectType type, long count) {

    /** What an {@link ObjectInfo} describes. */
    public enum ObjectType { TABLE, VIEW, COLLECTION, KEYSPACE }
}
