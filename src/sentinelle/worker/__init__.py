"""The background worker: a scheduler that enqueues due work, and the task runner."""
