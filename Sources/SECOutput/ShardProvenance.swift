/// Where and how one shard ran, as both partial-result formats record it at the end
/// of their header (docs/cluster.md): the worker threads, the wall time (seconds),
/// the host, the command line and, under Slurm, the job script and job id. The
/// shards of one run or analysis may differ in all of it; a merge reads the command
/// line and job script to print the exact rerun line of a missing shard.
public struct ShardProvenance: Sendable, Hashable {
  public var threads: Int
  /// Seconds from the start of the shard's replicates (or design points) to their end.
  public var wallSeconds: Double
  public var host: String
  public var commandLine: [String]
  /// The Slurm job script that ran the shard ("" when not under Slurm), so that a
  /// merge can print the exact `sbatch --array=I …` line of a missing shard.
  public var jobScript: String
  /// `SLURM_ARRAY_JOB_ID_SLURM_ARRAY_TASK_ID` (or `SLURM_JOB_ID`), "" when not under Slurm.
  public var slurmJob: String

  public init(threads: Int, wallSeconds: Double, host: String, commandLine: [String], jobScript: String, slurmJob: String) {
    self.threads = threads
    self.wallSeconds = wallSeconds
    self.host = host
    self.commandLine = commandLine
    self.jobScript = jobScript
    self.slurmJob = slurmJob
  }

  /// Appends the six fields in their order in the header.
  package func write(to h: inout ByteWriter) {
    h.int(threads)
    h.f64(wallSeconds)
    h.string(host)
    h.strings(commandLine)
    h.string(jobScript)
    h.string(slurmJob)
  }

  /// Reads the six fields `write(to:)` wrote.
  package init(reading r: inout ByteReader) throws {
    threads = try r.int("threads")
    wallSeconds = try r.f64("wall time")
    host = try r.string("host")
    commandLine = try r.strings("command line")
    jobScript = try r.string("job script")
    slurmJob = try r.string("Slurm job")
  }
}
