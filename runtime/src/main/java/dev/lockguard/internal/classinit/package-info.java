/**
 * Class-initialization deadlocks: initializing a class is taken as holding a lock while its
 * {@code <clinit>} runs, ordered as the JVM orders it (a class's superclass, and its interfaces
 * that declare default methods, first) and as the initializers show (what each touches). A cycle
 * of initializations that two threads can start at two different classes is a {@code
 * POTENTIAL_DEADLOCK} whose locks are the classes.
 *
 * <p>Depends on {@code core} and {@code report} only. Its hooks run once per class, at the start
 * and end of {@code <clinit>}, so they may allocate; they never log or throw.
 */
package dev.lockguard.internal.classinit;
