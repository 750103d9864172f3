/**
 * Running external database tools safely.
 *
 * <p>Glossary: a {@link io.cairn.dumps.tool.Toolbox} is the list of directories tools are looked up in
 * (by default {@code PATH}); a {@link io.cairn.dumps.tool.ToolCommand} is one program run (absolute
 * path, arguments without secrets, extra environment, temporary files); a
 * {@link io.cairn.dumps.tool.ToolProcess} is a started one whose stderr is drained, masked and kept
 * for failure messages; a {@link io.cairn.dumps.tool.ProcessDump} turns one or more tool runs into a
 * {@link io.cairn.dumps.Dump}; a {@link io.cairn.dumps.tool.ToolRunner} runs a tool to completion
 * (restores); an {@link io.cairn.dumps.tool.ErrorClassifier} maps a tool's stderr to a
 * {@link io.cairn.dumps.CheckStatus} and a hint.
 *
 * <p>Contract: children never inherit {@code PG*}, {@code MYSQL*}, {@code MARIADB*} or
 * {@code REDISCLI_*} variables from Cairn's environment; they get the toolbox as {@code PATH} and
 * English messages ({@code LC_MESSAGES=C}) so errors can be classified. Secrets travel only in the
 * environment or in {@link io.cairn.dumps.tool.SecretFile}s (mode 0600, deleted after the run).
 */
package io.cairn.dumps.tool;
