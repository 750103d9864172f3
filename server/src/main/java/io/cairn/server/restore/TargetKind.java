package io.cairn.server.restore;

/** What a restore writes into: a database (server database, Redis index, SQLite file) or a folder. */
public enum TargetKind {
    DATABASE, FOLDER
}
