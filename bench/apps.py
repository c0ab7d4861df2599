from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Development tooling: the synthetic data generator and the benchmark (`generate_synthetic`, `bench`)."""

    name = "bench"
    verbose_name = "Benchmark"
