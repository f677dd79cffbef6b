"""The offline installation kit: a folder of wheels and start scripts for a USB stick.

Made where the internet is (`python -m kit build`), from the exact versions of
`kit/requirements.lock`; installed on a laptop with no network by `install.bat` or
`install.sh`. None of this is part of the app a school runs.
"""
