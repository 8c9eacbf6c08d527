using Radiant.Cli;

return Cli.Run(args);
