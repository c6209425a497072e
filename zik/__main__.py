from zik.cli.main import main

main()
