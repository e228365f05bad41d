// The configuration types moved to their own module (so the fuzzer can load configurations without building the
// server); re-exported so that everything importing ResponderServer still sees them.
@_exported import ResponderConfiguration
