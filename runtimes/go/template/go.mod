// Go functions run only in the cluster (no local mode). The image build puts DCF's
// Go SDK (runtimes/go/sdk) in ./sdk; add your own requirements below.
module handler

go 1.22

require dcf.io/sdk v0.0.0

replace dcf.io/sdk => ./sdk
