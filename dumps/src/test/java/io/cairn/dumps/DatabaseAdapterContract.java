package io.cairn.dumps;

import io.cairn.dumps.tool.Toolbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * The contract every {@link DatabaseAdapter} passes against a real database: data with types that
 * bite goes through dump, restore into a fresh database and comes back identical (per-table
 * checksums, or key by key for Redis); describe counts right; and the expected faults (wrong
 * password, closed port, missing database, missing tool, a tool killed or failing mid-dump, a stream
 * not read to its end) are reported as such, without the password ever showing.
 *
 * <p>Subclasses supply a real server and the data. Nothing here is skipped: a kind for which a
 * fault cannot exist (SQLite has no password, no host) says so through a hook, and the test asserts
 * that claim instead.
 */
public abstract class DatabaseAdapterContract {

    @TempDir
    protected Path temp;

    private final List<ConnectionSpec> scratch = new ArrayList<>();

    // ---------------------------------------------------------------- what a subclass supplies

    /** The adapter under test, finding tools on the normal PATH. */
    protected abstract DatabaseAdapter adapter();

    /** The adapter with tools looked up only in {@code toolbox}. */
    protected abstract DatabaseAdapter adapterWith(Toolbox toolbox);

    /** Creates an empty scratch database (random name) and returns a spec logging in with {@link #secret()}. */
    protected abstract ConnectionSpec createScratch() throws Exception;

    /** A spec for a scratch database that does not exist yet (restore creates it); dropped after the test. */
    protected abstract ConnectionSpec newScratchName() throws Exception;

    /** Drops a scratch database (or stops a scratch server); ignores one that does not exist. */
    protected abstract void dropScratch(ConnectionSpec spec) throws Exception;

    /** Fills {@code spec} with the contract's data: NULLs, unicode, binary, large text, views, routines, triggers, TTLs... */
    protected abstract void populate(ConnectionSpec spec) throws Exception;

    /** Adds several MB in one table (collection, key set), so a dump is still streaming after the first 64 KiB. */
    protected abstract void addBulkData(ConnectionSpec spec) throws Exception;

    /** A checksum per table (collection, key) of everything in {@code spec}; equal maps mean equal data. */
    protected abstract Map<String, String> fingerprint(ConnectionSpec spec) throws Exception;

    /** The counts {@link DatabaseAdapter#describe} must report for a populated database, by object name. */
    protected abstract Map<String, Long> expectedCounts();

    /** Kind-specific checks that the restored database behaves (a trigger fires, a routine runs, TTLs kept). */
    protected abstract void verifyRestoredBehaviour(ConnectionSpec source, ConnectionSpec restored) throws Exception;

    /** The password the scratch specs log in with; it must never appear in a message. */
    protected abstract String secret();

    /** The tools the adapter runs (first: the dump tool); empty for adapters that need none. */
    protected abstract List<String> tools();

    /** {@code good} with a wrong password, or empty for a kind without passwords. */
    protected abstract Optional<ConnectionSpec> withWrongPassword(ConnectionSpec good);

    /** {@code good} pointing at something that does not answer, and the status expected for it. */
    protected ConnectionSpec unreachable(ConnectionSpec good) throws IOException {
        return good.withAddress("127.0.0.1", closedPort());
    }

    protected CheckStatus unreachableStatus() {
        return CheckStatus.HOST_UNREACHABLE;
    }

    /** {@code good} demanding TLS from a server that does not offer it (none here do), or empty for a file. */
    protected Optional<ConnectionSpec> withTlsRequired(ConnectionSpec good) {
        return Optional.of(good.withTls(TlsMode.REQUIRE));
    }

    /** {@code good} naming a database that does not exist. */
    protected abstract ConnectionSpec withMissingDatabase(ConnectionSpec good);

    /**
     * Starts a dump that fails after producing some bytes: for tool-based adapters a stand-in tool that
     * writes output, echoes the password it was given to stderr and exits 3; for others a real fault
     * (the server stops, the copy shrinks).
     */
    protected Dump startFailingDump(ConnectionSpec source) throws Exception {
        Path dir = Files.createDirectories(temp.resolve("fake-tools"));
        Path fake = dir.resolve(tools().get(0));
        Files.writeString(fake, """
                #!/bin/sh
                printf '%OUTPUT%'
                secret_file=""
                case "$1" in --defaults-extra-file=*) secret_file="${1#--defaults-extra-file=}";; esac
                printf '%s\n' "fake-tool: connection lost; env auth=$REDISCLI_AUTH pgpass=$(cat "$PGPASSFILE" 2>/dev/null) cnf=$(cat "$secret_file" 2>/dev/null)" >&2
                printf '%s\n' "fake-tool: giving up" >&2
                exit 3
                """.replace("%OUTPUT%", fakeToolOutput()));
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        List<Path> dirs = new ArrayList<>();
        dirs.add(dir);
        dirs.addAll(Toolbox.fromEnvironment().directories());
        return adapterWith(Toolbox.of(dirs)).dump(source, DumpOptions.defaults());
    }

    /** What the stand-in tool of {@link #startFailingDump} prints before failing, as a printf format: the start of a real dump. */
    protected String fakeToolOutput() {
        return "partial dump output\\n";
    }

    // ---------------------------------------------------------------- helpers

    protected static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    protected ConnectionSpec scratch() throws Exception {
        ConnectionSpec s = createScratch();
        scratch.add(s);
        return s;
    }

    protected ConnectionSpec scratchName() throws Exception {
        ConnectionSpec s = newScratchName();
        scratch.add(s);
        return s;
    }

    @AfterEach
    void dropScratchDatabases() throws Exception {
        for (ConnectionSpec s : scratch) {
            dropScratch(s);
        }
        scratch.clear();
    }

    /**
     * Tables of the populated database to restore on their own (names as describe gives them), or none for a
     * kind that restores only whole dumps.
     */
    protected List<String> someTables() {
        return List.of();
    }

    /** What the kind calls the objects {@link #someTables()} names, as its messages say it ("table", "collection"). */
    protected String objectNoun() {
        return "table";
    }

    /** Reads a dump to its end and checks it completed. */
    protected static byte[] dumpFully(DatabaseAdapter adapter, ConnectionSpec spec) throws IOException {
        try (Dump dump = adapter.dump(spec, DumpOptions.defaults())) {
            byte[] bytes = dump.stream().readAllBytes();
            dump.awaitSuccess();
            assertThat(dump.bytesRead()).isEqualTo(bytes.length);
            return bytes;
        }
    }

    private void assertNoSecret(String text) {
        assertThat(text).as("a message must never contain the password").doesNotContain(secret());
        assertThat(text).as("nor a piece of it").doesNotContain(secret().substring(0, Math.min(16, secret().length())));
    }

    private void assertNoSecret(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            assertNoSecret(String.valueOf(c.getMessage()));
            assertNoSecret(c.toString());
        }
    }

    /** The failure of {@code dump()} itself, or of its {@code awaitSuccess()} after reading it to the end. */
    private DatabaseException dumpFailure(DatabaseAdapter adapter, ConnectionSpec spec) {
        try (Dump dump = adapter.dump(spec, DumpOptions.defaults())) {
            dump.stream().readAllBytes();
            dump.awaitSuccess();
        } catch (DatabaseException e) {
            return e;
        } catch (IOException e) {
            fail("expected a DatabaseException, got " + e);
        }
        return fail("the dump of " + spec.target() + " succeeded, but it must fail");
    }

    // ---------------------------------------------------------------- the contract

    @Test
    void testReportsOkWithTheServerVersion() throws Exception {
        ConnectionSpec source = scratch();
        populate(source);
        ConnectionCheck check = adapter().test(source);
        assertThat(check.status()).as(check.message()).isEqualTo(CheckStatus.OK);
        assertThat(check.serverVersion()).isNotBlank();
        assertNoSecret(check.message());
        assertNoSecret(source.toString());
    }

    @Test
    void dumpAndRestoreIntoAFreshDatabaseKeepsEverything() throws Exception {
        ConnectionSpec source = scratch();
        populate(source);
        Map<String, String> before = fingerprint(source);
        assertThat(before).as("the populated source must hold data").isNotEmpty();

        byte[] bytes = dumpFully(adapter(), source);
        assertThat(bytes.length).isGreaterThan(1000);

        ConnectionSpec target = scratchName();
        RestoreResult result = adapter().restore(target, new ByteArrayInputStream(bytes),
                RestoreOptions.defaults().creatingDatabase());
        assertThat(result.bytesRead()).isEqualTo(bytes.length);
        assertThat(fingerprint(target)).isEqualTo(before);
        assertThat(fingerprint(source)).as("dumping must not change the source").isEqualTo(before);
        Map<String, Long> restoredCounts = counts(result.restored());
        expectedCounts().forEach((name, count) ->
                assertThat(restoredCounts).as("restored count of " + name).containsEntry(name, count));
        verifyRestoredBehaviour(source, target);
        result.warnings().forEach(this::assertNoSecret);
    }

    @Test
    void restoringSomeTablesRestoresExactlyThoseOrIsRefusedSayingSo() throws Exception {
        ConnectionSpec source = scratch();
        populate(source);
        byte[] bytes = dumpFully(adapter(), source);
        ConnectionSpec target = scratchName();
        List<String> tables = someTables();
        if (tables.isEmpty()) {
            assertThatThrownBy(() -> adapter().restore(target, new ByteArrayInputStream(bytes),
                    RestoreOptions.defaults().creatingDatabase().onlyTables(List.of("anything"))))
                    .isInstanceOf(DatabaseException.class).hasMessageContaining("whole");
            return;
        }
        RestoreResult result = adapter().restore(target, new ByteArrayInputStream(bytes),
                RestoreOptions.defaults().creatingDatabase().onlyTables(tables));
        Map<String, Long> restored = counts(result.restored());
        assertThat(restored.keySet()).containsExactlyInAnyOrderElementsOf(tables);
        tables.forEach(t -> assertThat(restored).as(t).containsEntry(t, expectedCounts().get(t)));

        ConnectionSpec other = scratchName();
        assertThatThrownBy(() -> adapter().restore(other, new ByteArrayInputStream(bytes),
                RestoreOptions.defaults().creatingDatabase().onlyTables(List.of("no_such_table"))))
                .isInstanceOf(DatabaseException.class).hasMessageContaining("no " + objectNoun() + " no_such_table");
    }

    @Test
    void describeReportsVersionAndCounts() throws Exception {
        ConnectionSpec source = scratch();
        populate(source);
        DatabaseDescription d = adapter().describe(source);
        assertThat(d.kind()).isEqualTo(adapter().kind());
        assertThat(d.serverVersion()).isNotBlank();
        assertThat(d.databases()).isNotEmpty();
        Map<String, Long> counts = counts(d);
        expectedCounts().forEach((name, count) -> assertThat(counts).as("count of " + name).containsEntry(name, count));
    }

    private static Map<String, Long> counts(DatabaseDescription d) {
        Map<String, Long> counts = new java.util.HashMap<>();
        for (DatabaseInfo db : d.databases()) {
            for (ObjectInfo o : db.objects()) {
                counts.merge(o.name(), o.count(), Long::sum);
            }
        }
        return counts;
    }

    @Test
    void restoreRefusesANonEmptyTargetUnlessOverwriteIsAllowed() throws Exception {
        ConnectionSpec source = scratch();
        populate(source);
        Map<String, String> before = fingerprint(source);
        byte[] bytes = dumpFully(adapter(), source);

        assertThatThrownBy(() -> adapter().restore(source, new ByteArrayInputStream(bytes), RestoreOptions.defaults()))
                .isInstanceOfSatisfying(DatabaseException.class, e -> {
                    assertThat(e.status()).as(e.getMessage()).isEqualTo(CheckStatus.TARGET_NOT_EMPTY);
                    assertThat(e.getMessage()).contains("overwrite");
                    assertNoSecret(e);
                });
        assertThat(fingerprint(source)).as("a refused restore changes nothing").isEqualTo(before);

        adapter().restore(source, new ByteArrayInputStream(bytes), RestoreOptions.defaults().overwriting());
        assertThat(fingerprint(source)).as("overwriting with its own dump gives the same data").isEqualTo(before);
    }

    @Test
    void restoreIntoAMissingDatabaseFailsUnlessAskedToCreateIt() throws Exception {
        ConnectionSpec source = scratch();
        populate(source);
        byte[] bytes = dumpFully(adapter(), source);
        ConnectionSpec missing = withMissingDatabase(source);
        assertThatThrownBy(() -> adapter().restore(missing, new ByteArrayInputStream(bytes), RestoreOptions.defaults()))
                .isInstanceOfSatisfying(DatabaseException.class, e -> {
                    assertThat(e.status()).as(e.getMessage()).isEqualTo(CheckStatus.DATABASE_MISSING);
                    assertNoSecret(e);
                });
    }

    @Test
    void aWrongPasswordIsReportedAsSuchAndNeverShown() throws Exception {
        ConnectionSpec source = scratch();
        Optional<ConnectionSpec> wrong = withWrongPassword(source);
        if (wrong.isEmpty()) {
            assertThat(adapter().kind()).as("only a kind without logins may have no wrong password")
                    .isEqualTo(SourceKind.SQLITE);
            assertThat(source.password().isEmpty()).isTrue();
            return;
        }
        String wrongPassword = wrong.get().password().reveal();
        ConnectionCheck check = adapter().test(wrong.get());
        assertThat(check.status()).as(check.message()).isEqualTo(CheckStatus.WRONG_PASSWORD);
        assertThat(check.message()).contains("password").doesNotContain(wrongPassword);
        DatabaseException e = dumpFailure(adapter(), wrong.get());
        assertThat(e.status()).as(e.getMessage()).isEqualTo(CheckStatus.WRONG_PASSWORD);
        assertThat(e.getMessage()).doesNotContain(wrongPassword);
        assertNoSecret(e);
    }

    @Test
    void anUnreachableHostIsReportedAsSuch() throws Exception {
        ConnectionSpec source = scratch();
        ConnectionSpec nowhere = unreachable(source);
        ConnectionCheck check = adapter().test(nowhere);
        assertThat(check.status()).as(check.message()).isEqualTo(unreachableStatus());
        assertNoSecret(check.message());
        DatabaseException e = dumpFailure(adapter(), nowhere);
        assertThat(e.status()).as(e.getMessage()).isEqualTo(unreachableStatus());
        assertNoSecret(e);
    }

    @Test
    void tlsDemandedFromAServerWithoutItIsReportedAsATlsFailure() throws Exception {
        ConnectionSpec source = scratch();
        Optional<ConnectionSpec> tls = withTlsRequired(source);
        if (tls.isEmpty()) {
            assertThat(adapter().kind()).as("only a local file has no TLS").isEqualTo(SourceKind.SQLITE);
            return;
        }
        ConnectionCheck check = adapter().test(tls.get());
        assertThat(check.status()).as(check.message()).isEqualTo(CheckStatus.TLS_FAILED);
        assertThat(check.message()).contains("TLS");
        assertNoSecret(check.message());
        DatabaseException e = dumpFailure(adapter(), tls.get());
        assertThat(e.status()).as(e.getMessage()).isEqualTo(CheckStatus.TLS_FAILED);
        assertNoSecret(e);
    }

    @Test
    void aMissingDatabaseIsReportedAsSuch() throws Exception {
        ConnectionSpec source = scratch();
        ConnectionSpec missing = withMissingDatabase(source);
        ConnectionCheck check = adapter().test(missing);
        assertThat(check.status()).as(check.message()).isEqualTo(CheckStatus.DATABASE_MISSING);
        assertNoSecret(check.message());
        DatabaseException e = dumpFailure(adapter(), missing);
        assertThat(e.status()).as(e.getMessage()).isEqualTo(CheckStatus.DATABASE_MISSING);
        assertNoSecret(e);
    }

    @Test
    void aMissingToolIsReportedWithHowToInstallIt() throws Exception {
        ConnectionSpec source = scratch();
        populate(source);
        DatabaseAdapter noTools = adapterWith(Toolbox.of(List.of(Files.createDirectories(temp.resolve("empty-bin")))));
        if (tools().isEmpty()) {
            // this adapter claims to need no program: prove it with an empty PATH
            assertThat(noTools.test(source).status()).isEqualTo(CheckStatus.OK);
            assertThat(dumpFully(noTools, source).length).isGreaterThan(1000);
            return;
        }
        ConnectionCheck check = noTools.test(source);
        assertThat(check.status()).as(check.message()).isEqualTo(CheckStatus.TOOL_MISSING);
        assertThat(check.message()).contains(tools().get(0)).contains("apt-get install");
        assertThatThrownBy(() -> noTools.dump(source, DumpOptions.defaults()))
                .isInstanceOfSatisfying(DatabaseException.class,
                        e -> assertThat(e.status()).isEqualTo(CheckStatus.TOOL_MISSING));
    }

    @Test
    void aDumpToolKilledMidDumpFailsTheDump() throws Exception {
        ConnectionSpec source = scratch();
        populate(source);
        addBulkData(source);
        try (Dump dump = adapter().dump(source, DumpOptions.defaults())) {
            InputStream in = dump.stream();
            byte[] first = in.readNBytes(64 * 1024);
            assertThat(first).hasSize(64 * 1024);
            Optional<ProcessHandle> tool = dump.process();
            assertThat(tool.isPresent()).as("a process exactly when the adapter runs tools").isEqualTo(!tools().isEmpty());
            if (tool.isPresent()) {
                ProcessHandle p = tool.get();
                assertThat(p.isAlive()).as("the tool is still streaming").isTrue();
                String cmdline = Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline")).replace('\0', ' ');
                assertThat(cmdline).as("the password is not on the command line").doesNotContain(secret());
                assertThat(p.destroyForcibly()).isTrue(); // SIGKILL
            } else {
                dump.cancel();
            }
            in.transferTo(java.io.OutputStream.nullOutputStream());
            assertThatThrownBy(dump::awaitSuccess).isInstanceOfSatisfying(DumpFailedException.class, e -> {
                if (tool.isPresent()) {
                    assertThat(e.getMessage()).contains(tools().get(0)).contains("killed by signal 9");
                    assertThat(e.exitStatus()).isEqualTo(137);
                } else {
                    assertThat(e.getMessage()).contains("cancelled");
                }
                assertNoSecret(e);
            });
        }
    }

    @Test
    void aDumpThatFailsMidStreamNeverLooksComplete() throws Exception {
        ConnectionSpec source = scratch();
        populate(source);
        try (Dump dump = startFailingDump(source)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            dump.stream().transferTo(out);
            assertThat(out.size()).as("some bytes came before the failure").isGreaterThan(0);
            assertThatThrownBy(dump::awaitSuccess).isInstanceOfSatisfying(DumpFailedException.class, e -> {
                if (!tools().isEmpty()) {
                    assertThat(e.tool()).isEqualTo(tools().get(0));
                    assertThat(e.exitStatus()).isEqualTo(3);
                    assertThat(e.getMessage()).contains("exit status 3").contains("fake-tool: giving up")
                            .contains(SecretMasker.MASK);
                }
                assertNoSecret(e);
            });
        }
    }

    @Test
    void aStreamNotReadToItsEndIsNotASuccess() throws Exception {
        ConnectionSpec source = scratch();
        populate(source);
        try (Dump dump = adapter().dump(source, DumpOptions.defaults())) {
            assertThat(dump.stream().readNBytes(100)).hasSize(100);
            assertThatThrownBy(dump::awaitSuccess).isInstanceOfSatisfying(DumpFailedException.class,
                    e -> assertThat(e.getMessage()).contains("not read to its end"));
        }
    }

    @Test
    void aDumpHasAFilenameForTheSnapshot() throws Exception {
        ConnectionSpec source = scratch();
        populate(source);
        try (Dump dump = adapter().dump(source, DumpOptions.defaults())) {
            assertThat(dump.filename()).isNotBlank().doesNotContain("/").doesNotStartWith(".");
            dump.stream().transferTo(java.io.OutputStream.nullOutputStream());
            dump.awaitSuccess();
        }
    }
}
