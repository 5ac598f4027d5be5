import SLAReport
print("slagen: not yet")
