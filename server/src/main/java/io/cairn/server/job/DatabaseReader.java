package io.cairn.server.job;

import io.cairn.dumps.ConnectionSpec;
import io.cairn.dumps.DatabaseAdapter;
import io.cairn.dumps.DatabaseDescription;
import io.cairn.dumps.DatabaseInfo;
import io.cairn.dumps.Dump;
import io.cairn.dumps.DumpOptions;
import io.cairn.dumps.ObjectInfo;
import io.cairn.engine.archiver.Archiver;
import io.cairn.engine.archiver.BackupResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A database, read through its dump adapter: the dump is streamed into one file of the snapshot, and the
 * snapshot is committed only after the dump tool exited successfully (a truncated dump never becomes a
 * snapshot).
 */
final class DatabaseReader implements SourceReader {

    private final DatabaseAdapter adapter;
    private final ConnectionSpec spec;
    private final Consumer<String> toolOutput;
    private volatile Dump dump;
    private volatile boolean cancelled;

    DatabaseReader(DatabaseAdapter adapter, ConnectionSpec spec, Consumer<String> toolOutput) {
        this.adapter = adapter;
        this.spec = spec;
        this.toolOutput = toolOutput;
    }

    @Override
    public Map<String, Object> describe() throws IOException {
        DatabaseDescription d = adapter.describe(spec);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", "database");
        out.put("server", d.kind().displayName());
        out.put("version", d.serverVersion());
        out.put("sizeBytes", d.sizeBytes());
        List<Map<String, Object>> dbs = new ArrayList<>();
        for (DatabaseInfo db : d.databases()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", db.name());
            m.put("sizeBytes", db.sizeBytes());
            List<Map<String, Object>> tables = new ArrayList<>();
            for (ObjectInfo o : db.objects()) {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("name", o.name());
                t.put("type", o.type().name());
                t.put("rows", o.count());
                tables.add(t);
            }
            m.put("tables", tables);
            dbs.add(m);
        }
        out.put("databases", dbs);
        return out;
    }

    @Override
    public BackupResult backup(Archiver archiver) throws IOException {
        try (Dump d = adapter.dump(spec, DumpOptions.defaults().withToolOutput(toolOutput))) {
            dump = d;
            if (cancelled) {
                d.cancel();
            }
            return archiver.backupStream(d.filename(), d.stream(), d::awaitSuccess);
        } finally {
            dump = null;
        }
    }

    @Override
    public void cancel() {
        cancelled = true;
        Dump d = dump;
        if (d != null) {
            d.cancel();
        }
    }
}
