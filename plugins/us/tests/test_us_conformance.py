import pasar_us.plugin
from pasar.testing.conformance import RegionPluginConformance

class TestUsConformance(RegionPluginConformance):
    plugin = pasar_us.plugin
    name = "us"
