from torsion.cli import main

main()
