"""Loading an Altinn 3 app, its checks, the process engine, authorization and the runtime."""
