// World: which communicator this process runs with — MPI's when `mpirun` started it with more
// than one rank (and the build has MPI), one process otherwise.
import Foundation

/// Starting and describing the process group of a run.
public enum World {
    /// True when this build of tsfc can talk MPI (its headers were found when it was built).
    public static var mpiAvailable: Bool {
        #if canImport(CMPI)
        return true
        #else
        return false
        #endif
    }

    /// The rank count the launcher asked for, from the environment Open MPI (`OMPI_COMM_WORLD_SIZE`),
    /// PMIx / Slurm (`PMIX_SIZE`, `SLURM_NTASKS`) or MPICH (`PMI_SIZE`) sets; nil when no launcher did.
    public static func launchedSize(environment: [String: String] = ProcessInfo.processInfo.environment) -> Int? {
        for key in ["OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"] {
            if let value = environment[key], let n = Int(value) { return n }
        }
        return nil
    }

    /// The communicator for this process: MPI's when a launcher started more than one rank,
    /// else a single process. Throws when `mpirun` started several ranks of a tsfc built without
    /// MPI (each would do the whole job and write the same outputs).
    public static func start(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Communicator {
        guard let n = launchedSize(environment: environment), n > 1 else { return SingleProcessCommunicator() }
        #if canImport(CMPI)
        return try MPICommunicator()
        #else
        throw DistributedError(
            "tsfc was started as \(n) MPI ranks but was built without MPI; install libopenmpi-dev (make deps does) and rebuild, "
                + "or run it without mpirun")
        #endif
    }
}
