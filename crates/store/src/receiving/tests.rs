//! Receiving on both backends.
