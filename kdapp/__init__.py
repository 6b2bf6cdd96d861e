"""KD Lab's Streamlit layer: UI strings (English/中文) and helpers shared by pages.

Pages stay thin: widgets → kdcore config → kdcore call → render with these helpers.
"""
