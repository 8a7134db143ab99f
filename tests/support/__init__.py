"""What tests, benches and dev scripts share to act as Firebase clients of the emulators."""
