"""KD Lab's core library: data, models, distillation methods, training loops, transfer, NLP, drills.

Pure PyTorch/numpy/plotly; it never imports Streamlit, so pages, the CLI, notebooks and tests share it.
"""
__version__ = "0.1.0"
