import pasar_ukeu.plugin
from pasar.testing.conformance import RegionPluginConformance

class TestUkeuConformance(RegionPluginConformance):
    plugin = pasar_ukeu.plugin
    name = "ukeu"
