// `import TSFC` brings the whole library: tensors, layers, optimizers, data, backbone, adapters.
@_exported import TSFCModels
@_exported import TSFCBackbone
@_exported import TSFCData
@_exported import TSFCNN
@_exported import TSFCOptim
@_exported import TSFCTensor
@_exported import TSFCTraining
@_exported import TSFCDetection
@_exported import TSFCCorpus
@_exported import TSFCDistributed
