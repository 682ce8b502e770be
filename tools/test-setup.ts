// The one place tests load reflect-metadata; libraries never import it (DESIGN.md, DI).
import 'reflect-metadata';
