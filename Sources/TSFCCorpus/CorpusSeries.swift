// One series of the pretraining corpus.
import TSFCData

/// A series drawn from the corpus: its values, calendar and where it came from.
public struct CorpusSeries: Sendable, Equatable {
    /// The observations, oldest first (`[T]`, T between the settings' min and max length).
    public var values: [Float]
    /// The dominant seasonal period in steps (e.g. 12 for a monthly series with a yearly cycle);
    /// 1 when the series has none.
    public var seasonLength: Int
    /// The calendar step the series is sampled at; nil when it has none.
    public var frequency: Frequency?
    /// The generator's name (`kernel_synth`, `forecast_pfn`, `arma`, `random_walk`,
    /// `intermittent`) or, for a real series, `"file:column"` (the path as given in the settings).
    public var source: String

    public init(values: [Float], seasonLength: Int, frequency: Frequency?, source: String) {
        self.values = values
        self.seasonLength = seasonLength
        self.frequency = frequency
        self.source = source
    }
}
