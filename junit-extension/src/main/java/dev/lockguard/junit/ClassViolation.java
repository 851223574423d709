package dev.lockguard.junit;

import dev.lockguard.report.Violation;

/** A violation that fails a class rather than a test, and where it was found, for the message. */
record ClassViolation(Violation violation, String where) {}
