package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The root command builds only the subcommands a command line names, and still parses and helps as with all. */
class CairnCommandTest {

    private static CliRun run(String... args) {
        return CliRun.exactly(args);
    }

    @Test
    void everySubcommandIsKeptUnderTheNameItsAnnotationGives() {
        for (Map.Entry<String, Class<?>> e : CairnCommand.SUBCOMMANDS.entrySet()) {
            assertThat(e.getValue().getAnnotation(Command.class).name()).isEqualTo(e.getKey());
        }
        assertThat(CairnCommand.SUBCOMMANDS).hasSize(15);
    }

    @Test
    void onlyTheCommandsALineNamesAreBuiltAndItParsesAsBefore() {
        CommandLine one = CairnCommand.commandLine("-r", "/tmp/repo", "snapshots", "--json");
        assertThat(one.getSubcommands()).containsOnlyKeys("snapshots");
        assertThat(one.parseArgs("-r", "/tmp/repo", "snapshots", "--json").subcommand().commandSpec().name())
                .isEqualTo("snapshots");

        // an option's value that is a command's name: picocli refuses it with every command present, and still does
        String[] args = {"-r", "backup", "snapshots"};
        CommandLine two = CairnCommand.commandLine(args);
        assertThat(two.getSubcommands()).containsOnlyKeys("backup", "snapshots");
        assertThatThrownBy(() -> two.parseArgs(args)).isInstanceOf(CommandLine.MissingParameterException.class)
                .hasMessageContaining("'--repo' but found 'backup'");
        CommandLine all = CairnCommand.commandLine();
        assertThat(all.getSubcommands()).containsOnlyKeys(CairnCommand.SUBCOMMANDS.keySet().toArray(String[]::new));
        assertThatThrownBy(() -> all.parseArgs(args)).isInstanceOf(CommandLine.MissingParameterException.class)
                .hasMessageContaining("'--repo' but found 'backup'");
        assertThat(CairnCommand.commandLine("-r", "./backup", "snapshots").parseArgs("-r", "./backup", "snapshots")
                .matchedOptionValue("-r", "")).isEqualTo("./backup");

        assertThat(CairnCommand.commandLine("key", "list").getSubcommands().get("key").getSubcommands())
                .containsKeys("list", "add", "remove", "passwd");
    }

    @Test
    void helpListsEveryCommand() {
        for (String[] args : new String[][] {{"--help"}, {"help"}, {}}) {
            CliRun p = run(args);
            String usage = p.out() + p.err();
            for (String name : CairnCommand.SUBCOMMANDS.keySet()) {
                assertThat(usage).as(String.join(" ", args)).containsPattern("(?m)^\\s+" + name + "\\s");
            }
        }
        CliRun backupHelp = run("help", "backup");
        assertThat(backupHelp.exitCode()).isZero();
        assertThat(backupHelp.out()).contains("Usage: cairn backup").contains("--stdin-filename");
        assertThat(run("restore", "--help").out()).contains("Usage: cairn restore").contains("--target");
    }

    @Test
    void aMistypedCommandIsAnsweredWithTheCommandsThatExist() {
        CliRun p = run("snapshot");
        assertThat(p.exitCode()).isEqualTo(2);
        assertThat(p.err()).contains("snapshot").contains("snapshots");
    }
}
