Slagen.main()
