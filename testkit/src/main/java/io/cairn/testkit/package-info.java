/**
 * Test doubles and contract suites for code built on the engine.
 *
 * <p>Glossary:
 * <ul>
 *   <li><b>contract suite</b>: an abstract JUnit 5 class holding the tests of an SPI's guarantees;
 *       each implementation's tests extend it ({@link io.cairn.testkit.BackendContract}).</li>
 *   <li><b>in-memory backend</b>: {@link io.cairn.testkit.InMemoryBackend}, a complete backend for
 *       fast tests, optionally with a capacity to behave like a disk that fills up.</li>
 *   <li><b>fault</b>: a failure made to happen on purpose: {@link io.cairn.testkit.FaultInjectingBackend}
 *       fails chosen calls (the Nth save, every load of a pack, a full disk).</li>
 *   <li><b>damage</b>: bytes that read back wrong: {@link io.cairn.testkit.CorruptingBackend} flips
 *       bits or cuts objects short on read, or in place in a local repository directory.</li>
 * </ul>
 *
 * <p>Contract: every double here that stores data passes {@link io.cairn.testkit.BackendContract};
 * the wrappers change nothing but what they are told to, and are safe for concurrent use.
 */
package io.cairn.testkit;
