import Foundation
import SECEngine

/// A progress bar on standard error while a run proceeds, shown only when standard
/// error is a terminal (never in logs or pipes).
final class ProgressBar: @unchecked Sendable {
  let total: Int
  let counter: ProgressCounter
  private let done = NSCondition()
  private var finished = false
  private var thread: Thread?

  init(total: Int, counter: ProgressCounter) {
    self.total = total
    self.counter = counter
  }

  /// Runs `body` with a bar of `total` replicates, which `body` counts on the counter
  /// it is given; the bar stops however `body` ends. Returns `body`'s value and the
  /// seconds it took.
  static func showing<T>(total: Int, _ body: (ProgressCounter) throws -> T) rethrows -> (value: T, seconds: Double) {
    let started = Date()
    let counter = ProgressCounter()
    let bar = ProgressBar(total: total, counter: counter)
    bar.start()
    let value: T
    do {
      value = try body(counter)
    } catch {
      bar.stop()
      throw error
    }
    bar.stop()
    return (value, Date().timeIntervalSince(started))
  }

  func start() {
    guard isatty(2) == 1 else { return }
    let thread = Thread { [self] in
      done.lock()
      while !finished {
        draw()
        _ = done.wait(until: Date().addingTimeInterval(0.2))
      }
      done.unlock()
    }
    self.thread = thread
    thread.start()
  }

  func stop() {
    guard thread != nil else { return }
    done.lock()
    finished = true
    done.signal()
    done.unlock()
    draw()
    FileHandle.standardError.write(Data("\n".utf8))
  }

  private func draw() {
    let n = min(counter.current, total)
    let width = 30
    let filled = total > 0 ? n * width / total : width
    let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
    FileHandle.standardError.write(Data("\r[\(bar)] \(n)/\(total) replicates".utf8))
  }
}
