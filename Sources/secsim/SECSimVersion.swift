/// The version of this build of SECSim, recorded in every output manifest.
enum SECSimVersion {
  static let string = "0.1.0"
}
