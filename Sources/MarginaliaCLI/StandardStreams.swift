#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@inline(__always)
func writeToStandardError(_ pointer: UnsafeRawPointer, _ count: Int) -> Int {
    write(2, pointer, count)
}

@inline(__always)
func writeToStandardOutput(_ pointer: UnsafeRawPointer, _ count: Int) -> Int {
    write(1, pointer, count)
}

/// True when the file descriptor is a terminal.
func isTerminal(_ descriptor: Int32) -> Bool {
    isatty(descriptor) == 1
}

/// The number of processors the batch may use.
func processorCount() -> Int {
    max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}
