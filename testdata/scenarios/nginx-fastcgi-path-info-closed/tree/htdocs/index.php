<?php // public
