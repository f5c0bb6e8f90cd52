"""placeholder"""

def run(ctx):
    return []
