import pasar_sea.plugin
from pasar.testing.conformance import RegionPluginConformance

class TestSeaConformance(RegionPluginConformance):
    plugin = pasar_sea.plugin
    name = "sea"
