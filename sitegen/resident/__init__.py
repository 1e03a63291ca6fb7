"""The resident build process: after a command-line build, the process stays in the
background, with the generator's modules imported and the last build's records, layouts and
converted texts in memory, and the next `build` of the same project hands its command line
to it (client) instead of starting afresh (server). It is how Gradle's daemon and Bazel's
server make a repeated build cheap; it is never used in CI (see client.enabled)."""
