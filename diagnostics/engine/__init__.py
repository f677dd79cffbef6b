"""The engine: instruments and the unified algorithm as data; answers in, results out."""
