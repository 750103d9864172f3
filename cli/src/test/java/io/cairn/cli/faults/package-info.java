/**
 * Fault tests of the {@code cairn} command line: every fault the issue lists gives a clear error
 * with its documented exit code, earlier snapshots stay restorable, and the next backup works.
 *
 * <h2>Glossary</h2>
 * <dl>
 *   <dt>exit code</dt><dd>0 ok, 1 failure, 2 usage, 3 backup saved but some files unreadable,
 *       4 repository damaged, 10 no or foreign repository, 11 locked, 12 wrong or missing password,
 *       13 disk full (see {@link io.cairn.cli.CairnCommand}).</dd>
 *   <dt>manifest</dt><dd>what a directory held when it was backed up: relative path → kind and
 *       content digest; a restore is correct when its manifest equals the source's.</dd>
 *   <dt>kill point</dt><dd>a delay after a backup child process took its lock at which the test
 *       sends it SIGKILL.</dd>
 * </dl>
 *
 * <h2>Real components</h2>
 * The full disk is a real 8 MiB tmpfs (mounted by the test when it runs as root), the foreign
 * repository a real restic repository (when restic is installed), the unreadable file a real one
 * (a write-only sysfs attribute bound over a file when running as root, where permission bits do
 * not stop reads; mode 000 otherwise), and the crash a real SIGKILL of a real {@code cairn}
 * process. Tests that cannot get their real component are skipped with the reason, never faked.
 */
package io.cairn.cli.faults;
