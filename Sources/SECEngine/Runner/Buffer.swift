/// Storage for the hot loop: a growable buffer of trivial values with reference
/// semantics, so writes need no copy-on-write uniqueness check and no dynamic
/// exclusivity check (MODEL.md §10: the hot loop allocates nothing per party-year
/// and threads share nothing mutable). Every buffer belongs to one worker's `Arena`,
/// which frees it; a buffer must not outlive its arena or be shared between threads.
struct Buffer<Element> {
  private(set) var base: UnsafeMutablePointer<Element>
  private(set) var capacity: Int

  init(_ arena: Arena, repeating value: Element, count: Int) {
    precondition(_isPOD(Element.self), "Buffer holds trivial values only")
    capacity = max(count, 1)
    base = arena.allocate(Element.self, capacity: capacity)
    base.initialize(repeating: value, count: capacity)
  }

  /// Element i, read and mutated in place (no copy out and back).
  @inline(__always) subscript(i: Int) -> Element {
    unsafeAddress {
      assert(i >= 0 && i < capacity, "Buffer index \(i) out of 0..<\(capacity)")
      return UnsafePointer(base + i)
    }
    nonmutating unsafeMutableAddress {
      assert(i >= 0 && i < capacity, "Buffer index \(i) out of 0..<\(capacity)")
      return base + i
    }
  }

  /// Makes room for at least `count` elements, new ones set to `value` (amortised doubling).
  mutating func reserve(_ count: Int, filling value: Element, in arena: Arena) {
    guard count > capacity else { return }
    let newCapacity = max(count, capacity * 2)
    let grown = arena.allocate(Element.self, capacity: newCapacity)
    grown.moveInitialize(from: base, count: capacity)
    (grown + capacity).initialize(repeating: value, count: newCapacity - capacity)
    arena.free(base)
    base = grown
    capacity = newCapacity
  }

  /// Sets the first `count` elements to `value`.
  func fill(_ value: Element, count: Int) {
    base.update(repeating: value, count: min(count, capacity))
  }
}

/// Owns a worker's buffers and frees them when the worker is done.
final class Arena {
  private var blocks: [UnsafeMutableRawPointer] = []

  init() {}

  func allocate<T>(_: T.Type, capacity: Int) -> UnsafeMutablePointer<T> {
    let p = UnsafeMutablePointer<T>.allocate(capacity: capacity)
    blocks.append(UnsafeMutableRawPointer(p))
    return p
  }

  func free<T>(_ p: UnsafeMutablePointer<T>) {
    let raw = UnsafeMutableRawPointer(p)
    if let i = blocks.firstIndex(of: raw) { blocks.remove(at: i) }
    p.deallocate()
  }

  deinit {
    for b in blocks { b.deallocate() }
  }
}
